-- One row per story: an original article with its syndicated copies and near-copies.
with articles as (
    select * from {{ ref('int_articles_enriched') }}
),

originals as (
    select story_id, title, outlet, coverage_date
    from articles
    where is_story_original
)

select
    articles.story_id,
    any_value(originals.title) as title,
    min(articles.published_date) as first_published_date,
    any_value(originals.coverage_date) as first_seen_date,
    any_value(originals.outlet) as first_outlet,
    count(*) as articles,
    count(distinct articles.outlet) as outlets,
    list(distinct articles.outlet order by articles.outlet) as outlet_list,
    bool_or(articles.wire_agency is not null) as is_wire,
    min(articles.wire_agency) as wire_agency,
    bool_or(articles.is_on_topic) as is_on_topic,
    max(articles.relevance_score) as relevance_score
from articles
join originals using (story_id)
group by articles.story_id
