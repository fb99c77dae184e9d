with source as (
    select * from {{ source('raw', 'fetch_attempts') }}
),

renamed as (
    select
        attempt_id,
        source_name,
        url,
        final_url,
        stage,
        outcome,
        reason,
        http_status,
        content_type,
        body_bytes,
        attempted_at
    from source
)

select * from renamed
