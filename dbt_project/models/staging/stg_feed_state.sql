with source as (
    select * from {{ source('raw', 'feed_state') }}
),

renamed as (
    select
        url,
        etag,
        last_modified,
        updated_at
    from source
)

select * from renamed
