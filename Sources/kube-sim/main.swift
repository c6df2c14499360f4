print("kube-sim")
