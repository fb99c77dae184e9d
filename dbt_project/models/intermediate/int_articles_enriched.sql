-- Articles with their topic annotation, word count, coverage date and exact-duplicate story.
with articles as (
    select * from {{ ref('stg_articles') }}
),

annotations as (
    select * from {{ ref('stg_article_annotations') }}
),

joined as (
    select
        articles.*,
        coalesce(annotations.relevance_score, 0.0) as relevance_score,
        coalesce(annotations.is_on_topic, false) as is_on_topic,
        len(regexp_extract_all(articles.text, '\S+')) as word_count,
        coalesce(articles.published_date, cast(articles.fetched_at as date)) as coverage_date,
        articles.published_date is null as coverage_date_is_fallback
    from articles
    left join annotations using (article_id)
),

storied as (
    -- Verbatim copies (equal content hash) form one story, named after its earliest article.
    select
        *,
        first_value(article_id) over (
            partition by content_hash
            order by coverage_date, fetched_at, article_id
        ) as story_id
    from joined
)

select * from storied
