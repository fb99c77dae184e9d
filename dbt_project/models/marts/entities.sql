-- One row per canonical entity, with how widely and when it was mentioned.
with mentions as (
    select * from {{ ref('int_entity_mentions_resolved') }}
),

articles as (
    select article_id, coverage_date from {{ ref('int_articles_enriched') }}
)

select
    mentions.entity_id,
    mentions.entity_name as name,
    mentions.entity_type as type,
    count(distinct mentions.article_id) as article_count,
    count(*) as mention_count,
    min(articles.coverage_date) as first_seen_date,
    max(articles.coverage_date) as last_seen_date
from mentions
join articles using (article_id)
group by all
