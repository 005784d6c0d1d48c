# gunicorn settings for the demo service; hack/demo.sh passes the address with --bind.
# Four uvicorn workers under one master: the process tree `pyrometer record --subprocesses` follows.
workers = 4
worker_class = "uvicorn.workers.UvicornWorker"
proc_name = "pyrometer-demo"
timeout = 60
graceful_timeout = 5
accesslog = None
loglevel = "warning"
