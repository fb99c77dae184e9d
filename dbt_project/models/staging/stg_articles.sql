with source as (
    select * from {{ source('raw', 'articles') }}
),

renamed as (
    select
        article_id,
        page_id,
        source_name,
        url,
        fetched_url,
        outlet,
        site_name,
        nullif(trim(title), '') as title,
        authors,
        published_at,
        published_date,
        lower(language) as language,
        coalesce(page_kind, 'article') as page_kind,
        text,
        content_hash,
        fetched_at,
        extracted_at
    from source
)

select * from renamed
