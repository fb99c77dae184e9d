-- Coverage per day: pages seen, the on-topic share of them, stories, claims, denials, spikes (macros/coverage.sql).
{{ coverage_by(['date']) }}
