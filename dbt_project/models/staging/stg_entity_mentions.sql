with source as (
    select * from {{ source('raw', 'entity_mentions') }}
),

renamed as (
    select
        article_id,
        nlp_version,
        mention_index,
        surface,
        name as entity_name,
        upper(type) as entity_type,
        sentence_index,
        start_char,
        end_char
    from source
)

select * from renamed
