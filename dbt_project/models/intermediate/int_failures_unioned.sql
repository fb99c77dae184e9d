-- Failures from every stage in one shape: fetch and discovery attempts, and pages that are not articles.
with fetch_failures as (
    select
        url,
        source_name,
        stage,
        reason,
        http_status,
        attempted_at
    from {{ ref('stg_fetch_attempts') }}
    where outcome = 'failed'
),

extraction_failures as (
    select
        pages.url,
        pages.source_name,
        'extract' as stage,
        extractions.reason,
        pages.http_status,
        extractions.extracted_at as attempted_at
    from {{ ref('stg_extractions') }} as extractions
    join {{ ref('stg_pages') }} as pages using (page_id)
    where extractions.outcome = 'failed'
)

select * from fetch_failures
union all
select * from extraction_failures
