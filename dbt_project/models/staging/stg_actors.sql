with source as (
    select * from {{ ref('actors') }}
),

renamed as (
    select
        canonical_name as entity_name,
        upper(type) as entity_type,
        string_split(coalesce(aliases, ''), '|') as aliases,
        nullif(trim(wikidata_id), '') as wikidata_id
    from source
)

select * from renamed
