with source as (
    select * from {{ source('raw', 'extractions') }}
),

renamed as (
    select
        page_id,
        extractor_version,
        outcome,
        reason,
        article_id,
        extracted_at
    from source
)

select * from renamed
