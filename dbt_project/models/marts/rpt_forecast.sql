{#- Forecast for decision support (5.3.1): elders and service requests per district for the
    36 months after the latest month, by ageing today's elders (method in the yml). -#}
{{ elder_forecast("select max(month) from " ~ ref('dim_months'), 36) }}
