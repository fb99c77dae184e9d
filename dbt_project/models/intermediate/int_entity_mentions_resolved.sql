-- Mentions with a stable entity id derived from the canonical name and type.
with mentions as (
    select * from {{ ref('stg_entity_mentions') }}
)

select
    md5(entity_type || ':' || entity_name) as entity_id,
    article_id,
    mention_index,
    surface,
    entity_name,
    entity_type,
    sentence_index,
    start_char,
    end_char
from mentions
