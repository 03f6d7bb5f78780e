"""The handout: chances on one denominator (risk), icon-array geometry (icons), the
patient-facing texts, the view the templates show (enrich) and Jinja rendering (render)."""
