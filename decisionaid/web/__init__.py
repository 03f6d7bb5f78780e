"""The consult web app for clinic staff: find an aid, fill in a patient's copy, print
it, copy a chart note. Starlette served by uvicorn, bound to loopback by default.
Patient fields travel only in POST bodies and live only for the request."""
