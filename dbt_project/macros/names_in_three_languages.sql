{#-
    The Arabic, French and English names of `entity` (programme, funder, measure, qualifier,
    domain) from `relation`: `<entity>_name_ar`, `_fr` and `_en` cast as strings, one per line,
    comma-separated (no trailing comma). The one way a mart carries its labels in three
    languages.
-#}
{% macro names_in_three_languages(entity, relation) -%}
    {%- for language in ['ar', 'fr', 'en'] %}
        cast({{ relation }}.{{ entity }}_name_{{ language }} as {{ dbt.type_string() }})
            as {{ entity }}_name_{{ language }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
