-- Who claimed or denied what, when, how sure, and on whose authority; the proposition's cluster.
{{ config(**incremental_mart('claim_id', 'int_claim_cluster_members')) }}

{% set current_rows %}
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
    sentence_index,
    members.claim_cluster_id
from {{ ref('int_claims_attributed') }}
join {{ ref('int_claim_cluster_members') }} as members using (claim_id)
{% endset %}

{{ new_or_changed(current_rows) }}
