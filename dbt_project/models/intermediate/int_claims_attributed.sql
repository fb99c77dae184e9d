-- Claims with a stable id, the speaker's entity id, and the article's date and outlet.
with claims as (
    select * from {{ ref('stg_claims') }}
),

articles as (
    select article_id, published_date, coverage_date, outlet from {{ ref('int_articles_enriched') }}
),

entities as (
    select distinct entity_id, entity_name, entity_type from {{ ref('int_entity_mentions_resolved') }}
),

speakers as (
    -- A speaker name can be typed differently in two places; prefer the claim's own type.
    select
        claims.article_id,
        claims.claim_index,
        entities.entity_id,
        row_number() over (
            partition by claims.article_id, claims.claim_index
            order by (entities.entity_type = claims.speaker_type) desc, entities.entity_type
        ) as preference
    from claims
    join entities on entities.entity_name = claims.speaker
)

select
    md5(claims.article_id || ':' || claims.claim_index) as claim_id,
    claims.article_id,
    claims.claim_index,
    claims.sentence_index,
    claims.speaker,
    speakers.entity_id as speaker_entity_id,
    claims.speaker_surface,
    claims.speaker_type,
    claims.cue,
    claims.polarity,
    claims.certainty,
    claims.sentence,
    claims.quote,
    claims.cited_source,
    articles.published_date,
    articles.coverage_date,
    articles.outlet
from claims
join articles using (article_id)
left join speakers
    on speakers.article_id = claims.article_id
    and speakers.claim_index = claims.claim_index
    and speakers.preference = 1
