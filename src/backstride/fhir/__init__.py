"""FHIR R4 export: a person's record as a Bundle of FHIR resources, for a clinician's system.

Pure functions: ``bundle.person_bundle`` turns the person's export document (the one
``backstride export`` writes) and the knowledge base into a validated Bundle. The models are
fhir.resources' R4B package (FHIR 4.3.0): fhir.resources 7 and later model R5 by default and
ship no R4 (4.0.1) package, and R4B is R4's technical correction, the same for every resource
used here. docs/fhir.md maps each record to its resource.
"""
