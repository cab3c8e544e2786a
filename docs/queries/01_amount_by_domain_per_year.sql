-- How much went to each domain, per year? (projects and MAD, as printed in Tables 01 and 02)
select
    period,
    domain_name_en,
    domain_name_fr,
    domain_name_ar,
    projects,
    amount_mad
from marts.mart_domain_year
order by start_year, display_order;
