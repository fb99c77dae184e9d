with source as (
    select * from {{ source('raw', 'pages_seen') }}
),

renamed as (
    select
        source_name,
        archive,
        day,
        records_seen,
        records_prefiltered,
        records_seen - records_prefiltered as records_kept,
        complete as is_complete,
        counted_at
    from source
)

select * from renamed
