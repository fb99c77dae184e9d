-- One row per canonical entity, with how widely and when it was mentioned.
with mentions as (
    select * from {{ ref('int_entity_mentions_resolved') }}
),

articles as (
    select article_id, coverage_date from {{ ref('int_articles_enriched') }}
),

actors as (
    select entity_name, entity_type, wikidata_id from {{ ref('stg_actors') }}
)

select
    mentions.entity_id,
    mentions.entity_name as name,
    mentions.entity_type as type,
    count(distinct mentions.article_id) as article_count,
    count(*) as mention_count,
    min(articles.coverage_date) as first_seen_date,
    max(articles.coverage_date) as last_seen_date,
    any_value(actors.wikidata_id) as wikidata_id,
    bool_or(actors.entity_name is not null) as is_curated
from mentions
join articles using (article_id)
left join actors
    on actors.entity_name = mentions.entity_name
    and actors.entity_type = mentions.entity_type
group by mentions.entity_id, mentions.entity_name, mentions.entity_type
