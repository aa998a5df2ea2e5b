// Production-grade, secure-by-default building blocks to deploy an application: static sites, web services, serverless functions, Cloud Run services, Kubernetes services and Neon databases.
package launchpad
