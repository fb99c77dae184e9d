with source as (
    select * from {{ source('raw', 'discovered_urls') }}
),

renamed as (
    select
        url_id,
        source_name,
        url,
        discovered_at,
        hint_title,
        hint_published
    from source
)

select * from renamed
