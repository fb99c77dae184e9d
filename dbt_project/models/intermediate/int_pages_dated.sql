-- Every page seen, with the day it counts for: a page that became an article on the article's
-- coverage date, any other landed page on its fetch date, and archive records the keyword
-- pre-filter dropped (raw.pages_seen) on their archive day, without an outlet.
with articles as (
    select page_id, coverage_date, outlet, fetched_url from {{ ref('int_articles_enriched') }}
),

pages as (
    select
        page_id,
        cast(fetched_at as date) as fetch_date,
        lower(regexp_extract(final_url, '^[a-zA-Z]+://([^/:?#]+)', 1)) as host
    from {{ ref('stg_pages') }}
),

article_hosts as (
    -- The outlet (registered domain) of a host, learnt from the articles fetched from it.
    select
        lower(regexp_extract(fetched_url, '^[a-zA-Z]+://([^/:?#]+)', 1)) as host,
        any_value(outlet) as outlet
    from articles
    group by host
),

article_pages as (
    select coverage_date as date, outlet, 1 as pages, 'article' as page_kind
    from articles
),

other_pages as (
    select
        pages.fetch_date as date,
        coalesce(article_hosts.outlet, regexp_replace(pages.host, '^www\.', '')) as outlet,
        1 as pages,
        'not_article' as page_kind
    from pages
    left join article_hosts using (host)
    where pages.page_id not in (select page_id from articles)
),

prefiltered as (
    select day as date, null as outlet, records_prefiltered as pages, 'prefiltered' as page_kind
    from {{ ref('stg_pages_seen') }}
    where records_prefiltered > 0
)

select * from article_pages
union all
select * from other_pages
union all
select * from prefiltered
