{#- Staging and intermediate views go to schemas named exactly `staging` and `intermediate`;
    marts stay in the default schema so analysts query them by plain name. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
