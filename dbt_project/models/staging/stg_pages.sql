with source as (
    select * from {{ source('raw', 'pages') }}
),

renamed as (
    -- The body stays in raw: downstream models need only the page's identity and fetch facts.
    select
        page_id,
        source_name,
        url,
        final_url,
        fetched_at,
        http_status,
        content_type,
        charset,
        octet_length(body) as body_bytes
    from source
)

select * from renamed
