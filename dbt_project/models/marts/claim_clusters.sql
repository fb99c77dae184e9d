-- One row per proposition: claims that state it, across articles and outlets, with who affirmed or denied it.
with claims as (
    select * from {{ ref('int_claims_attributed') }}
),

members as (
    select * from {{ ref('int_claim_cluster_members') }}
),

stories as (
    select article_id, story_id from {{ ref('int_articles_enriched') }}
),

clustered as (
    select claims.*, members.claim_cluster_id, stories.story_id
    from claims
    join members using (claim_id)
    join stories using (article_id)
),

representatives as (
    select claim_cluster_id, sentence, coverage_date, outlet
    from clustered
    where claim_id = claim_cluster_id
)

select
    clustered.claim_cluster_id,
    any_value(representatives.sentence) as representative_sentence,
    any_value(representatives.coverage_date) as first_seen_date,
    any_value(representatives.outlet) as first_outlet,
    max(clustered.coverage_date) as last_seen_date,
    count(*) as claims,
    count(distinct clustered.article_id) as articles,
    count(distinct clustered.story_id) as stories,
    count(distinct clustered.outlet) as outlets,
    coalesce(list(distinct clustered.speaker order by clustered.speaker) filter (where clustered.speaker is not null), []) as speakers,
    count(*) filter (where clustered.polarity = 'affirm') as affirms,
    count(*) filter (where clustered.polarity = 'deny') as denials
from clustered
join representatives using (claim_cluster_id)
group by clustered.claim_cluster_id
