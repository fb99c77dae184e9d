with source as (
    select * from {{ source('raw', 'claim_quantities') }}
),

renamed as (
    select
        article_id,
        nlp_version,
        claim_index,
        quantity_index,
        value,
        unit,
        surface
    from source
)

select * from renamed
