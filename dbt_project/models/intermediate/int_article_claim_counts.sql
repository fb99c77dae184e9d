-- Claims and denials per article, for the coverage marts.
select
    article_id,
    count(*) as claims,
    count(*) filter (where polarity = 'deny') as denials
from {{ ref('stg_claims') }}
group by article_id
