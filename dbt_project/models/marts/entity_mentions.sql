-- Every mention of an entity, as written, with the sentence it stands in.
{{ config(**incremental_mart(['article_id', 'mention_index'], 'int_entity_mentions_resolved')) }}

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
