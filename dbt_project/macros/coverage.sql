{#-
  The body of the coverage marts, at a grain of ['date'] (daily_coverage) or ['date', 'outlet']
  (daily_coverage_by_outlet).

  - pages_seen: every page seen (int_pages_dated); pre-filtered archive records have no outlet,
    so they count in the daily total only.
  - articles counts every article; on_topic_articles, unique_stories, claims and denials count
    on-topic articles; on_topic_share = on_topic_articles / pages_seen (a true fraction: every
    article is one of the pages seen on its coverage date).
  - The spike rule: the trailing level is the mean of unique_stories over the
    `spike_window_days` calendar days before the day (days without coverage count as zero); a
    day spikes when its unique stories reach both `spike_min_stories` and `spike_ratio` times
    that level, and the warehouse holds a full window before it (its first days have no level
    to compare with). Unique stories rather than articles, so wire copies cannot make a spike.
-#}
{% macro coverage_by(grain) %}
{%- set keys = grain | join(', ') -%}
{%- set partition = grain | reject('equalto', 'date') | list -%}
{%- set window = var('spike_window_days') -%}
{%- set trailing -%}
    coalesce(sum(unique_stories) over (
        {% if partition %}partition by {{ partition | join(', ') }} {% endif %}order by date
        range between interval {{ window }} days preceding and interval 1 days preceding
    ), 0) / {{ window }}.0
{%- endset -%}
with articles as (
    select *, coverage_date as date from {{ ref('int_articles_enriched') }}
),

claim_counts as (
    select * from {{ ref('int_article_claim_counts') }}
),

pages as (
    select {{ keys }}, cast(sum(pages) as bigint) as pages_seen
    from {{ ref('int_pages_dated') }}
    {% if 'outlet' in grain %}where outlet is not null{% endif %}
    group by {{ keys }}
),

article_counts as (
    select
        {{ keys }},
        count(*) as articles,
        count(*) filter (where articles.is_on_topic) as on_topic_articles,
        count(distinct articles.story_id) filter (where articles.is_on_topic) as unique_stories,
        {% if 'outlet' not in grain -%}
        count(distinct articles.outlet) filter (where articles.is_on_topic) as outlets,
        {% endif -%}
        coalesce(sum(claim_counts.claims) filter (where articles.is_on_topic), 0) as claims,
        coalesce(sum(claim_counts.denials) filter (where articles.is_on_topic), 0) as denials,
        count(*) filter (where articles.coverage_date_is_fallback) as articles_dated_by_fetch
    from articles
    left join claim_counts using (article_id)
    group by {{ keys }}
),

counted as (
    -- Every article is a page seen, so each article_counts row has its pages row.
    select
        pages.*,
        coalesce(columns(article_counts.* exclude ({{ keys }})), 0)
    from pages
    left join article_counts using ({{ keys }})
)

select
    *,
    round(on_topic_articles / pages_seen, 4) as on_topic_share,
    round({{ trailing }}, 3) as trailing_stories_per_day,
    (
        unique_stories >= {{ var('spike_min_stories') }}
        and unique_stories >= {{ var('spike_ratio') }} * {{ trailing }}
        and date - min(date) over () >= {{ window }}
    ) as is_spike
from counted
order by {{ keys }}
{% endmacro %}
