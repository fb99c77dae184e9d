-- Coverage per day and outlet, counted as in daily_coverage (macros/coverage.sql).
{{ coverage_by(['date', 'outlet']) }}
