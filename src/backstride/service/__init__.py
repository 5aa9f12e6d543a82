"""Running backstride as a service: the start-up checks, the database at deploy, and the job
queue (procrastinate, in PostgreSQL) with its workers.

The web app calls ``check_service_settings()`` before it serves anything. Nothing here keeps
state in the process: jobs, their progress and their output live in the database.
"""
