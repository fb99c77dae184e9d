-- Coverage per day and outlet, counted as in daily_coverage.
with articles as (
    select * from {{ ref('int_articles_enriched') }}
),

claim_counts as (
    select * from {{ ref('int_article_claim_counts') }}
)

select
    articles.coverage_date as date,
    articles.outlet,
    count(*) as articles,
    count(*) filter (where articles.is_on_topic) as on_topic_articles,
    coalesce(sum(claim_counts.claims) filter (where articles.is_on_topic), 0) as claims,
    coalesce(sum(claim_counts.denials) filter (where articles.is_on_topic), 0) as denials
from articles
left join claim_counts using (article_id)
group by articles.coverage_date, articles.outlet
order by date, outlet
