-- URLs that did not become articles, latest failure per URL, source and stage.
-- A fetch failure is dropped once the same URL has been fetched successfully.
with failures as (
    select * from {{ ref('int_failures_unioned') }}
),

fetched as (
    select url from {{ ref('stg_pages') }}
),

latest as (
    select
        url,
        source_name,
        stage,
        arg_max(reason, attempted_at) as reason,
        arg_max(http_status, attempted_at) as http_status,
        max(attempted_at) as attempted_at,
        count(*) as attempts
    from failures
    group by url, source_name, stage
)

select
    md5(url || ':' || source_name || ':' || stage) as failure_id,
    url,
    source_name,
    stage,
    reason,
    http_status,
    attempted_at,
    attempts
from latest
where stage = 'extract' or url not in (select url from fetched)
