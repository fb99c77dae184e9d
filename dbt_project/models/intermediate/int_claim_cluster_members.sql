-- Claim clusters: claims linked as the same proposition (ingest/claim_spread.py), grouped into
-- connected components; a cluster is named after its earliest claim.
with claims as (
    select * from {{ ref('int_claims_attributed') }}
),

nodes as (
    select
        claim_id as node_id,
        row_number() over (
            order by coverage_date, published_date nulls last, article_id, claim_index
        ) as node_rank
    from claims
),

edges as (
    -- Link items are 'article_id:claim_index', the pre-image of claim_id.
    select
        md5(links.item_id) as node_id,
        md5(links.linked_item_id) as linked_node_id
    from {{ ref('stg_similarity_links') }} as links
    where links.kind = 'claim'
        and md5(links.item_id) in (select claim_id from claims)
        and md5(links.linked_item_id) in (select claim_id from claims)
),

components as (
    select * from {{ connected_components('nodes', 'edges') }}
)

select
    components.node_id as claim_id,
    components.component_id as claim_cluster_id
from components
