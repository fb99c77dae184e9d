-- Every mention of an entity, as written, with the sentence it stands in.
select
    article_id,
    entity_id,
    surface,
    sentence_index,
    mention_index,
    start_char,
    end_char
from {{ ref('int_entity_mentions_resolved') }}
