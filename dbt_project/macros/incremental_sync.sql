{#
  Incremental marts that always equal a full rebuild, while writing only what changed.

  A big mart (articles, claims, entity_mentions) is materialized 'incremental' with strategy
  delete+insert on its key. `new_or_changed` selects the rows of the full result that the table
  does not already hold verbatim (new rows, and rows whose story, cluster or annotation moved);
  the `delete_vanished` post-hook removes rows whose key left the full result. So the table holds
  the full rebuild's rows, but a run with 1 % new input rewrites about 1 % of it.
  When the table lacks one of the model's columns (the model gained one), every row is selected
  and on_schema_change='sync_all_columns' adds the column: the same as a full refresh.
#}

{% macro incremental_mart(unique_key, current_model) %}
{#- The config of such a mart: its key, and the model whose keys say which rows remain. -#}
{%- set keys = [unique_key] if unique_key is string else unique_key %}
{{ return({
    'materialized': 'incremental',
    'unique_key': unique_key,
    'incremental_strategy': 'delete+insert',
    'on_schema_change': 'sync_all_columns',
    'post_hook': "{{ delete_vanished('" ~ (keys | join(', ')) ~ "', ref('" ~ current_model ~ "')) }}",
}) }}
{% endmacro %}


{% macro new_or_changed(current_rows) %}
{{ current_rows }}
{%- if is_incremental() %}
{%- set columns = get_columns_in_query(current_rows) | map('lower') | list %}
{%- set held = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list %}
{%- if columns | reject('in', held) | list | length == 0 %}
except
select {{ columns | join(', ') }} from {{ this }}
{%- endif %}
{%- endif %}
{% endmacro %}


{% macro delete_vanished(keys, current) %}
delete from {{ this }} where ({{ keys }}) not in (select {{ keys }} from {{ current }})
{% endmacro %}
