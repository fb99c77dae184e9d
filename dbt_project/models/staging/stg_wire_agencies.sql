with source as (
    select * from {{ ref('wire_agencies') }}
),

renamed as (
    select
        agency,
        pattern as name_pattern
    from source
)

select * from renamed
