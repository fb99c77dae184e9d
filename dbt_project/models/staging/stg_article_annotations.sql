with source as (
    select * from {{ source('raw', 'article_annotations') }}
),

renamed as (
    select
        article_id,
        nlp_version,
        relevance_score,
        is_on_topic,
        sentence_count,
        analyzed_at
    from source
)

select * from renamed
