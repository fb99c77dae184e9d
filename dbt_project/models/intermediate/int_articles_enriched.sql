-- Articles with their topic annotation, word count, coverage date, story and wire agency.
with articles as (
    select * from {{ ref('stg_articles') }}
),

annotations as (
    select * from {{ ref('stg_article_annotations') }}
),

stories as (
    select * from {{ ref('int_story_members') }}
),

agencies as (
    select * from {{ ref('stg_wire_agencies') }}
),

wire as (
    -- Wire copy names its agency in the byline ("AFP", "Kim Tong-Hyung, Associated Press") or in
    -- the dateline at the top of the text ("SEOUL (AFP) —", "(Reuters) -").
    select
        articles.article_id,
        min(agencies.agency) as wire_agency
    from articles
    join agencies
        on regexp_matches(array_to_string(articles.authors, ' | '), '\b(' || agencies.name_pattern || ')\b')
        or regexp_matches(left(articles.text, 300), '\((' || agencies.name_pattern || ')\)')
    group by articles.article_id
),

joined as (
    select
        articles.*,
        coalesce(annotations.relevance_score, 0.0) as relevance_score,
        coalesce(annotations.is_on_topic, false) as is_on_topic,
        len(regexp_extract_all(articles.text, '\S+')) as word_count,
        coalesce(articles.published_date, cast(articles.fetched_at as date)) as coverage_date,
        articles.published_date is null as coverage_date_is_fallback,
        stories.story_id,
        stories.is_story_original,
        wire.wire_agency
    from articles
    left join annotations using (article_id)
    left join stories using (article_id)
    left join wire using (article_id)
)

select * from joined
