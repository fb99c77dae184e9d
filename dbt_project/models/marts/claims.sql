-- Who claimed or denied what, when, how sure, and on whose authority.
select
    claim_id,
    article_id,
    speaker,
    speaker_entity_id,
    speaker_surface,
    cue,
    polarity,
    certainty,
    sentence,
    quote,
    cited_source,
    published_date,
    outlet,
    sentence_index
from {{ ref('int_claims_attributed') }}
