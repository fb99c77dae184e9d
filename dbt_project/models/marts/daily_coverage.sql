-- Coverage per day. `articles` counts every article that day; the other counts cover on-topic articles.
with articles as (
    select * from {{ ref('int_articles_enriched') }}
),

claim_counts as (
    select * from {{ ref('int_article_claim_counts') }}
)

select
    articles.coverage_date as date,
    count(*) as articles,
    count(*) filter (where articles.is_on_topic) as on_topic_articles,
    count(distinct articles.story_id) filter (where articles.is_on_topic) as unique_stories,
    count(distinct articles.outlet) filter (where articles.is_on_topic) as outlets,
    coalesce(sum(claim_counts.claims) filter (where articles.is_on_topic), 0) as claims,
    coalesce(sum(claim_counts.denials) filter (where articles.is_on_topic), 0) as denials,
    count(*) filter (where articles.coverage_date_is_fallback) as articles_dated_by_fetch
from articles
left join claim_counts using (article_id)
group by articles.coverage_date
order by date
