{#-
  Connected components of an undirected graph, as a subquery with columns (node_id, component_id).
  `nodes` has (node_id, node_rank); `edges` has (node_id, linked_node_id). A component is named
  after its node of lowest rank (the earliest article or claim), so ids stay stable as copies
  arrive later. Every node reaches itself, so isolated nodes form their own component.
  The walk keeps (node, reached) pairs, which is quadratic in a component's size: fine for
  stories and claim clusters (tens of members), not for one giant component.
-#}
{% macro connected_components(nodes, edges) %}
(
    with recursive undirected as (
        select node_id, linked_node_id from {{ edges }}
        union
        select linked_node_id, node_id from {{ edges }}
    ),

    reach (node_id, reached_id) as (
        select node_id, node_id from {{ nodes }}
        union
        select reach.node_id, undirected.linked_node_id
        from reach
        join undirected on undirected.node_id = reach.reached_id
    )

    select reach.node_id, arg_min(reach.reached_id, ranked.node_rank) as component_id
    from reach
    join {{ nodes }} as ranked on ranked.node_id = reach.reached_id
    group by reach.node_id
)
{% endmacro %}
