-- How much went to each domain, per year? (projects and MAD, as printed in Tables 01 and 02 of
-- the migrant-integration programme's 2017-2018 review; another programme: its programme_id)
select
    period,
    domain_name_en,
    domain_name_fr,
    domain_name_ar,
    projects,
    amount_mad
from marts.mart_domain_year
where programme_id = 'migrant_integration_partnership'
order by start_year, display_order;
