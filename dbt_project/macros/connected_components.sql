{#-
  Connected components of an undirected graph, as a subquery with columns (node_id, component_id).
  `nodes` has (node_id, node_rank); `edges` has (node_id, linked_node_id). A component is named
  after its node of lowest rank (the earliest article or claim), so ids stay stable as copies
  arrive later. Every node starts as its own component, so isolated nodes keep their own.
  Labels spread along edges (a recursive CTE keyed by node, DuckDB's USING KEY): each round only
  nodes whose label dropped pass it on, so the cost follows the edges times the rounds (the
  components' diameter), not the square of a component's size: a wire story copied by hundreds
  of outlets, or a claim they all repeat, stays cheap.
-#}
{% macro connected_components(nodes, edges) %}
(
    with recursive undirected as (
        select node_id, linked_node_id from {{ edges }}
        union
        select linked_node_id, node_id from {{ edges }}
    ),

    labels (node_id, component_rank, component_id) using key (node_id) as (
        select node_id, node_rank, node_id from {{ nodes }}
        union
        select
            undirected.linked_node_id,
            min(labels.component_rank),
            arg_min(labels.component_id, labels.component_rank)
        from labels
        join undirected on undirected.node_id = labels.node_id
        join recurring.labels as known on known.node_id = undirected.linked_node_id
        group by undirected.linked_node_id
        having min(labels.component_rank) < min(known.component_rank)
    )

    select node_id, component_id from labels
)
{% endmacro %}
