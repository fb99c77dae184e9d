with source as (
    select * from {{ source('raw', 'similarity_links') }}
),

renamed as (
    select
        kind,
        item_id,
        linked_item_id,
        jaccard,
        containment,
        linked_at
    from source
)

select * from renamed
