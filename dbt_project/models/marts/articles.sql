-- One row per article (canonical URL): what analysts count, read and group into stories.
{{ config(**incremental_mart('article_id', 'int_articles_enriched')) }}

{% set current_rows %}
select
    article_id,
    url,
    outlet,
    site_name,
    title,
    authors,
    published_date,
    published_at,
    language,
    page_kind,
    text,
    word_count,
    is_on_topic,
    relevance_score,
    story_id,
    is_story_original,
    wire_agency,
    source_name,
    coverage_date,
    coverage_date_is_fallback,
    fetched_at
from {{ ref('int_articles_enriched') }}
{% endset %}

{{ new_or_changed(current_rows) }}
