-- Numbers stated in claims ("six officers", "three million rounds").
with quantities as (
    select * from {{ ref('stg_claim_quantities') }}
),

claims as (
    select claim_id, article_id, claim_index from {{ ref('int_claims_attributed') }}
)

select
    md5(claims.claim_id || ':' || quantities.quantity_index) as quantity_id,
    claims.claim_id,
    quantities.value,
    quantities.unit,
    quantities.surface
from quantities
join claims using (article_id, claim_index)
