#!/bin/sh
exec /usr/bin/redis-server "$@" --protected-mode no --bind 0.0.0.0 --save '' --appendonly no
