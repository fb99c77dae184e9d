-- Every mention of an entity, as written, with the sentence it stands in.
{{ config(
    materialized='incremental',
    unique_key=['article_id', 'mention_index'],
    incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_vanished('article_id, mention_index', ref('int_entity_mentions_resolved')) }}"
) }}

{% set current_rows %}
select
    article_id,
    entity_id,
    surface,
    sentence_index,
    mention_index,
    start_char,
    end_char
from {{ ref('int_entity_mentions_resolved') }}
{% endset %}

{{ new_or_changed(current_rows) }}
