build-vmtest/soakbin/pvbench info > build-vmtest/stress1h/info.txt 2>&1
build-vmtest/soakbin/pvbench stress --backend kvm --duration 1h --seed 12 --size 32M,64M,128M --pressure-max 1G --out build-vmtest/stress1h/1h > build-vmtest/stress1h/1h.txt 2>&1; echo "1h: exit $?" >> build-vmtest/stress1h/1h.txt
