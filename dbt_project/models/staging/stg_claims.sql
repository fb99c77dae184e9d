with source as (
    select * from {{ source('raw', 'claims') }}
),

renamed as (
    select
        article_id,
        nlp_version,
        claim_index,
        sentence_index,
        sentence,
        speaker,
        speaker_surface,
        upper(speaker_type) as speaker_type,
        cue,
        polarity,
        certainty,
        quote,
        cited_source
    from source
)

select * from renamed
