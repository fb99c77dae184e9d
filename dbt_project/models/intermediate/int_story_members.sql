-- Stories: articles joined by equal text (content hash) or a near-duplicate link (ingest/syndication.py),
-- grouped into connected components; a story is named after its earliest article, its original.
with articles as (
    select * from {{ ref('stg_articles') }}
),

nodes as (
    -- Earliest first: dated before undated, then by time and fetch; the id breaks ties.
    select
        article_id as node_id,
        row_number() over (
            order by published_date nulls last, published_at nulls last, fetched_at, article_id
        ) as node_rank
    from articles
),

hash_edges as (
    select
        article_id as node_id,
        min(article_id) over (partition by content_hash) as linked_node_id
    from articles
),

link_edges as (
    select
        links.item_id as node_id,
        links.linked_item_id as linked_node_id
    from {{ ref('stg_similarity_links') }} as links
    where links.kind = 'article'
        and links.item_id in (select article_id from articles)
        and links.linked_item_id in (select article_id from articles)
),

edges as (
    select * from hash_edges where node_id <> linked_node_id
    union all
    select * from link_edges
),

components as (
    select * from {{ connected_components('nodes', 'edges') }}
)

select
    components.node_id as article_id,
    components.component_id as story_id,
    components.node_id = components.component_id as is_story_original
from components
